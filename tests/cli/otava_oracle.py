"""The Python side of the Otava cross-validation, run by the interpreter of the virtual
environment that ci/bootstrap.sh fills with apache-otava 0.8.0 from PyPI (check_otava.py starts
it). Reads {"cases": [{"name", "series", "params": {window, max_p, min_magnitude,
min_segment}}]} on stdin and writes, per case, Otava's change points and weak change points in
the JSON of `wslcuda_change_points_tool analyse`.

min_segment 1 is Otava 0.8.0 itself: otava.analysis.compute_change_points. min_segment > 1 is
Otava 0.8.0 with the collapse step of apache/otava pull request 150 (commit 52f091f, "Add option
to enforce minimum segment length", not in a release yet), copied below unchanged from that
commit's otava/analysis.py:

  Licensed to the Apache Software Foundation (ASF) under one or more contributor license
  agreements. See the NOTICE file distributed with this work for additional information
  regarding copyright ownership. The ASF licenses this file to you under the Apache License,
  Version 2.0 (the "License"); you may not use this file except in compliance with the License.
  You may obtain a copy of the License at http://www.apache.org/licenses/LICENSE-2.0
  Unless required by applicable law or agreed to in writing, software distributed under the
  License is distributed on an "AS IS" BASIS, WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND,
  either express or implied. See the License for the specific language governing permissions
  and limitations under the License.
"""
import json
import math
import sys

from otava.analysis import (
    ChangePoint,
    TTestSignificanceTester,
    compute_change_points,
    merge,
    split,
)


def collapse_short_segments(change_points, series, max_pvalue, min_magnitude, min_segment_len):
    # apache/otava PR 150, commit 52f091f98a70a2b52ddf698fbc28557e03f5b354, otava/analysis.py.
    if min_segment_len <= 1:
        return change_points

    tester = TTestSignificanceTester(max_pvalue)

    def interval_len(interval: slice) -> int:
        start = 0 if interval.start is None else interval.start
        stop = len(series) if interval.stop is None else interval.stop
        return stop - start

    while change_points:
        intervals = tester.get_intervals(change_points)
        for interval_index, interval in enumerate(intervals):
            if interval_len(interval) >= min_segment_len:
                continue

            if interval_index == 0:
                del change_points[0]
            elif interval_index == len(intervals) - 1:
                del change_points[-1]
            else:
                left_interval = intervals[interval_index - 1]
                right_interval = intervals[interval_index + 1]
                right_change_point = change_points[interval_index]
                replacement_stats = tester.compare(
                    series[left_interval],
                    series[right_interval],
                )

                del change_points[interval_index - 1 : interval_index + 1]

                replacement_cp = ChangePoint(
                    index=right_change_point.index,
                    qhat=right_change_point.qhat,
                    stats=replacement_stats,
                )
                if (
                    tester.is_significant(replacement_cp)
                    and replacement_cp.stats.change_magnitude() > min_magnitude
                ):
                    change_points.insert(interval_index - 1, replacement_cp)

            break
        else:
            return change_points

    return change_points


def first_pass(max_pvalue):
    # otava/analysis.py, compute_change_points
    return max_pvalue * 10 if max_pvalue < 0.05 else (max_pvalue * 2 if max_pvalue < 0.5 else max_pvalue)


def number(x):
    x = float(x)
    return None if math.isnan(x) else x


def point(cp):
    s = cp.stats
    return {"index": int(cp.index), "p_value": number(s.pvalue), "magnitude": number(s.change_magnitude()),
            "forward_change": number(s.forward_rel_change()), "mean_before": number(s.mean_1),
            "mean_after": number(s.mean_2), "stddev_before": number(s.std_1), "stddev_after": number(s.std_2)}


def main():
    cases = json.load(sys.stdin)["cases"]
    out = []
    for case in cases:
        series = [float(v) for v in case["series"]]  # a list: Otava slices lists per window
        p = case["params"]
        window, max_p, magnitude = p["window"], p["max_p"], p["min_magnitude"]
        min_segment = p.get("min_segment", 1)
        # The weak change points, before merge (compute_change_points returns the list that
        # merge has shortened in place, so it is taken from split directly).
        weak = split(list(series), window, first_pass(max_p))
        if min_segment <= 1:
            cps, _ = compute_change_points(list(series), window_len=window, max_pvalue=max_p,
                                           min_magnitude=magnitude)
        else:
            collapsed = collapse_short_segments(list(weak), series, max_p, magnitude, min_segment)
            cps = merge(collapsed, series, max_p, magnitude)
        out.append({"name": case["name"], "change_points": [point(c) for c in cps],
                    "weak": [int(c.index) for c in weak]})
    json.dump({"cases": out}, sys.stdout)


if __name__ == "__main__":
    main()
