"""Spark local[2] on 4 shard exports fits the call_window.json `arscore train` writes on the whole export."""

import json
import os

from arscore_spark import ArscoreFailed, run_arscore
from arscore_spark.distributed_fit import fit_call_window_distributed
from tests.support import SparkTestCase


class DistributedWindowFitTest(SparkTestCase):
    def export_and_shards(self):
        export = os.path.join(self.scratch, "export")
        run_arscore(self.binary, ["generate", "--out", export, "--customers", "300", "--months", "12", "--seed", "8",
                                  "--end", "2026-11-01", "--quiet"])
        shards = os.path.join(self.scratch, "shards")
        run_arscore(self.binary, ["partition", "--data", export, "--shards", "4", "--out", shards])
        return export, [os.path.join(shards, "shard-%04d" % k) for k in range(4)]

    def test_four_shards_give_the_trained_call_window_file_byte_for_byte(self):
        export, shards = self.export_and_shards()
        models = os.path.join(self.scratch, "models")
        run_arscore(self.binary, ["train", "--data", export, "--out", models, "--holdout", "1", "--quiet"])
        spark_model = os.path.join(self.scratch, "call_window.json")
        history_end = fit_call_window_distributed(self.spark, shards, spark_model, holdout=1,
                                                  work=os.path.join(self.scratch, "work"), binary=self.binary)
        with open(os.path.join(models, "v1", "bundle.json")) as handle:
            self.assertEqual(history_end, json.load(handle)["training"]["holdout_dates"][0])
        with open(spark_model, "rb") as a, open(os.path.join(models, "v1", "call_window.json"), "rb") as b:
            self.assertEqual(a.read(), b.read())

        # Three of the four shards: the combine refuses, naming the partition, and writes no model.
        partial = os.path.join(self.scratch, "partial.json")
        with self.assertRaises(ArscoreFailed) as failure:
            fit_call_window_distributed(self.spark, shards[:3], partial, holdout=1,
                                        work=os.path.join(self.scratch, "work-partial"), binary=self.binary)
        self.assertIn("exactly once", str(failure.exception))
        self.assertFalse(os.path.exists(partial))
