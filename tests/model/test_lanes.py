"""The lane rule shared by print, slides and the web page."""

from dxroadmap.model.lanes import assign_lanes


def test_overlapping_intervals_take_new_lanes_and_touching_ones_share():
    assert assign_lanes([(0, 3), (3, 5), (1, 4), (4, 6), (2, 7)]) == [0, 0, 1, 1, 2]
    assert assign_lanes([]) == []
