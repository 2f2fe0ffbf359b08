"""Shared test support: one local[2] SparkSession for every test module, the binary, the repository's demo data."""

import os
import shutil
import tempfile
import unittest

from arscore_spark import find_arscore, spark_session

REPOSITORY = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
DEMO_DATA = os.path.join(REPOSITORY, "Datasets", "demo")
DEMO_MODEL = os.path.join(REPOSITORY, "Models", "demo")

_session = None


def shared_spark():
    """The one local[2] SparkSession of the test run (Spark starts in ~10-20 s: started once, reused)."""
    global _session
    if _session is None:
        _session = spark_session("local[2]", app_name="arscore-tests")
    return _session


class SparkTestCase(unittest.TestCase):
    """A test case with the shared session, the arscore binary and a scratch folder removed afterwards."""

    @classmethod
    def setUpClass(cls):
        cls.binary = find_arscore()
        cls.spark = shared_spark()

    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="arscore-spark-test-")
        self.addCleanup(shutil.rmtree, self.scratch, True)
