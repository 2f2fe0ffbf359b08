"""Spark local[2] on 4 shards publishes the queue files of a one-machine `arscore score`, byte for byte."""

import json
import os
import unittest

from arscore_spark import ArscoreFailed, run_arscore
from arscore_spark.driver import score_sharded
from tests.support import DEMO_DATA, DEMO_MODEL, SparkTestCase

AS_OF = "2026-10-15"


def read(path):
    with open(path, "rb") as handle:
        return handle.read()


def manifest_without_time(folder):
    manifest = json.loads(read(os.path.join(folder, "manifest.json")))
    manifest.pop("created_at", None)
    return manifest


class ShardedScoringTest(SparkTestCase):
    def policy(self, **keys):
        path = os.path.join(self.scratch, "policy.json")
        with open(path, "w") as handle:
            json.dump({"capacity": 60, "exploration_share": 0.2, "holdout_share": 0.1, "policy_seed": 7, **keys}, handle)
        return path

    def test_four_shards_on_spark_publish_the_one_machine_files(self):
        """The default policy's plan (today's plan: slots of 6 calls may bind, so at most the capacity of 60)."""
        self.assert_spark_matches_one_machine(self.policy(), expected_calls=None, maximum_calls=60)

    def test_four_shards_on_spark_publish_the_one_machine_weekly_list(self):
        self.assert_spark_matches_one_machine(self.policy(plan="week"), expected_calls=60)

    def test_four_shards_on_spark_publish_todays_plan_of_one_machine(self):
        """Today's plan is global: the merge on the driver plans the union of the shards' candidates."""
        policy = self.policy(plan="today", calls_per_slot=5, team_timezone="America/New_York")
        manifest = self.assert_spark_matches_one_machine(policy, expected_calls=None)
        self.assertGreater(manifest["exclusions"]["better_another_day"], 0)

    def assert_spark_matches_one_machine(self, policy, expected_calls, maximum_calls=None):
        one = os.path.join(self.scratch, "one")
        run_arscore(self.binary, ["score", "--data", DEMO_DATA, "--model", DEMO_MODEL, "--out", one, "--as-of", AS_OF,
                                  "--config", policy, "--quiet"])
        spark_out = os.path.join(self.scratch, "spark")
        score_sharded(self.spark, DEMO_DATA, DEMO_MODEL, spark_out, AS_OF, shards=4,
                      work=os.path.join(self.scratch, "work"), config=policy, binary=self.binary)
        one_day, spark_day = os.path.join(one, AS_OF), os.path.join(spark_out, AS_OF)
        names = sorted(os.listdir(one_day))
        self.assertEqual(names, sorted(os.listdir(spark_day)))
        self.assertIn("calls.csv", names)
        for name in names:
            if name != "manifest.json":
                self.assertEqual(read(os.path.join(one_day, name)), read(os.path.join(spark_day, name)), name)
        self.assertEqual(manifest_without_time(one_day), manifest_without_time(spark_day))
        self.assertEqual(os.path.realpath(os.path.join(spark_out, "latest")), os.path.realpath(spark_day))
        calls = read(os.path.join(spark_day, "calls.csv")).decode().splitlines()
        if expected_calls is not None:
            self.assertEqual(len(calls), expected_calls + 1)  # header + the capacity
        if maximum_calls is not None:
            self.assertLessEqual(len(calls), maximum_calls + 1)
        self.assertGreater(len(calls), 1)
        self.assertTrue(any(line.endswith(",explore," + line.rsplit(",", 1)[1]) for line in calls[1:]))
        return manifest_without_time(spark_day)

    def test_a_failing_shard_fails_the_job_and_publishes_nothing(self):
        out = os.path.join(self.scratch, "queues")
        # An as-of date long after the data ends: every shard's arscore score refuses it.
        with self.assertRaises(Exception) as caught:
            score_sharded(self.spark, DEMO_DATA, DEMO_MODEL, out, "2027-06-01", shards=4,
                          work=os.path.join(self.scratch, "work"), binary=self.binary)
        self.assertIn("days after the export", str(caught.exception))
        self.assertFalse(os.path.exists(os.path.join(out, "latest")))
        self.assertFalse(os.path.exists(os.path.join(out, "2027-06-01")))

    def test_a_failing_arscore_command_names_its_arguments(self):
        with self.assertRaises(ArscoreFailed) as caught:
            run_arscore(self.binary, ["merge", "--out", os.path.join(self.scratch, "q"),
                                      os.path.join(self.scratch, "no-such-result")])
        self.assertIn("no-such-result", str(caught.exception))


if __name__ == "__main__":
    unittest.main()
