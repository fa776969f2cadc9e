"""dxroadmap: a desktop roadmap editor for Japanese local governments' DX推進計画."""

__version__ = "0.1.0"
