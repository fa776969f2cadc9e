"""The lane rule shared by print, slides and the web page."""

from dxroadmap.model.lanes import assign_lanes


def test_overlapping_intervals_take_new_lanes_and_touching_ones_share():
    assert assign_lanes([(0, 3), (3, 5), (1, 4), (4, 6), (2, 7)]) == [0, 0, 1, 1, 2]
    assert assign_lanes([]) == []


def test_a_screen_row_needs_a_lane_per_stack_of_bars():
    from dxroadmap.model.lanes import row_lanes

    assert row_lanes([], []).count == 1
    side_by_side = row_lanes([(0, 11), (12, 23)], [])
    assert side_by_side.count == 1 and side_by_side.phase_lanes == (0, 0)
    piled = row_lanes([(0, 11), (3, 14), (6, 8), (12, 20)], [])
    assert piled.count == 3 and piled.phase_lanes == (0, 1, 2, 0)


def test_milestones_sit_in_a_gap_among_the_bars_or_in_a_lane_above_them():
    from dxroadmap.model.lanes import MILESTONE_ROOM, RowLanes, row_lanes

    # after the bars, with room: beside them, no extra lane
    assert row_lanes([(0, 11)], [15]) == RowLanes(1, (0,), (0,))
    # on a bar: one lane above it, the bar one lane down
    above = row_lanes([(0, 11)], [5])
    assert (above.count, above.phase_lanes, above.milestone_lanes) == (2, (1,), (0,))
    # a gap too short for the diamond and its label: above as well
    short = row_lanes([(0, 11), (12 + MILESTONE_ROOM - 1, 30)], [12])
    assert short.count == 2 and short.milestone_lanes == (0,)
    # a gap in the second lane where the first is busy
    second = row_lanes([(0, 30), (0, 5)], [10])
    assert (second.count, second.milestone_lanes) == (2, (1,))
    # milestones alone (no bars) share the one lane
    assert row_lanes([], [3, 4]).count == 1
