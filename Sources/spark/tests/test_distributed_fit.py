"""Spark local[2] on 4 shard tables fits the model `arscore fit` fits on the whole table, to 1e-9."""

import json
import os
import random
import unittest

from arscore_spark import ArscoreFailed, run_arscore
from arscore_spark.distributed_fit import fit_distributed
from tests.support import SparkTestCase

HEADER = "balance,days_late,noise,y,duration,event,w"
FEATURES = ["balance", "days_late", "noise"]


def table_lines(rows=600, seed=15):
    """Rows with weights and integer durations (ties at times present in several shards)."""
    generator = random.Random(seed)
    lines = []
    for _ in range(rows):
        balance, late, noise = 1000 + 9000 * generator.random(), generator.randrange(60), generator.random()
        eta = -1 + 0.0002 * (balance - 5000) + 0.03 * late - 0.5 * noise
        label = 1 if generator.random() < 1 / (1 + 2.718281828459045 ** -eta) else 0
        duration = min(30, 1 + int(generator.random() * 20 / 2.718281828459045 ** (0.5 * eta)))
        event = 1 if generator.random() < 0.7 else 0
        lines.append("%r,%d,%r,%d,%d,%d,%r" % (balance, late, noise, label, duration, event, 0.5 + generator.random()))
    return lines


class DistributedFitTest(SparkTestCase):
    def write_tables(self):
        lines = table_lines()
        whole = os.path.join(self.scratch, "whole.csv")
        with open(whole, "w") as handle:
            handle.write("\n".join([HEADER] + lines) + "\n")
        cuts = [0, 53, 300, 410, len(lines)]
        shards = []
        for k in range(4):
            path = os.path.join(self.scratch, "shard-%d.csv" % k)
            with open(path, "w") as handle:
                handle.write("\n".join([HEADER] + lines[cuts[k]:cuts[k + 1]]) + "\n")
            shards.append(path)
        return whole, shards

    def assert_coefficients_equal(self, spark_model, one_model):
        with open(spark_model) as a, open(one_model) as b:
            spark_fit, one_fit = json.load(a), json.load(b)
        self.assertEqual(sorted(spark_fit["coefficients"]), sorted(one_fit["coefficients"]))
        for name, value in one_fit["coefficients"].items():
            self.assertLessEqual(abs(spark_fit["coefficients"][name] - value), 1e-9 * max(1, abs(value)), name)
        return spark_fit, one_fit

    def test_logistic_on_four_shards_equals_arscore_fit(self):
        whole, shards = self.write_tables()
        one = os.path.join(self.scratch, "one.json")
        run_arscore(self.binary, ["fit", "logistic", "--table", whole, "--target", "y", "--features",
                                  ",".join(FEATURES), "--weight", "w", "--l2", "0.5", "--out", one, "--quiet"])
        spark_model = os.path.join(self.scratch, "spark.json")
        passes = fit_distributed(self.spark, "logistic", shards, spark_model, target="y", features=FEATURES,
                                 weight="w", l2=0.5, work=os.path.join(self.scratch, "work"), binary=self.binary)
        spark_fit, one_fit = self.assert_coefficients_equal(spark_model, one)
        self.assertEqual(passes, one_fit["fit"]["iterations"] + 2)  # moments, start, one per Newton step
        self.assertEqual(spark_fit["kind"], "logistic")

    def test_cox_on_four_shards_equals_arscore_fit(self):
        whole, shards = self.write_tables()
        for ties in ("efron", "breslow"):
            one = os.path.join(self.scratch, "one-%s.json" % ties)
            run_arscore(self.binary, ["fit", "cox", "--table", whole, "--duration", "duration", "--event", "event",
                                      "--features", ",".join(FEATURES), "--weight", "w", "--ties", ties,
                                      "--out", one, "--quiet"])
            spark_model = os.path.join(self.scratch, "spark-%s.json" % ties)
            fit_distributed(self.spark, "cox", shards, spark_model, duration="duration", event="event",
                            features=FEATURES, weight="w", ties=ties, work=os.path.join(self.scratch, "work-" + ties),
                            binary=self.binary)
            spark_fit, one_fit = self.assert_coefficients_equal(spark_model, one)
            self.assertEqual(spark_fit["baseline"]["times"], one_fit["baseline"]["times"])

    def test_a_bad_cell_in_a_shard_fails_the_fit_and_names_it(self):
        _, shards = self.write_tables()
        with open(shards[2], "a") as handle:
            handle.write("1,2,nan,0,3,1,1\n")
        out = os.path.join(self.scratch, "never.json")
        with self.assertRaises(Exception) as caught:
            fit_distributed(self.spark, "logistic", shards, out, target="y", features=FEATURES, binary=self.binary)
        self.assertIn("shard-2.csv", str(caught.exception))
        self.assertFalse(os.path.exists(out))


if __name__ == "__main__":
    unittest.main()
