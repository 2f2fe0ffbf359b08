"""spark-submit entry point: python -m arscore_spark score --data ... (see README.md)."""

import argparse
import sys

from .driver import score_sharded
from .session import spark_session


def parse(arguments):
    parser = argparse.ArgumentParser(prog="arscore_spark", description="arscore's sharded nightly job on Spark.")
    commands = parser.add_subparsers(dest="command", required=True)
    score = commands.add_parser("score", help="partition -> score every shard on the executors -> merge -> publish")
    score.add_argument("--data", required=True, help="export folder (shared storage)")
    score.add_argument("--model", required=True, help="model bundle Models/NAME or Models/NAME/VERSION (shared storage)")
    score.add_argument("--out", required=True, help="queue root folder; publishes <out>/<as-of>/")
    score.add_argument("--as-of", required=True, help="calling day YYYY-MM-DD")
    score.add_argument("--shards", type=int, default=4, help="number of shards (default 4)")
    score.add_argument("--work", help="work folder for the shards and shard results (shared storage)")
    score.add_argument("--config", help="policy JSON file")
    score.add_argument("--capacity", type=int, help="daily capacity (calls.csv rows)")
    score.add_argument("--max-bad-rows", type=float, help="bad-row threshold of the whole export (default arscore's 0.01)")
    score.add_argument("--arscore", help="the arscore binary (default $ARSCORE_BIN, the release build, PATH)")
    score.add_argument("--master", help="Spark master when not set by spark-submit, e.g. local[2]")
    return parser.parse_args(arguments)


def main(arguments=None):
    options = parse(sys.argv[1:] if arguments is None else arguments)
    spark = spark_session(options.master, app_name="arscore-score")
    try:
        print(score_sharded(spark, options.data, options.model, options.out, options.as_of, shards=options.shards,
                            work=options.work, config=options.config, capacity=options.capacity,
                            max_bad_rows=options.max_bad_rows, binary=options.arscore))
    finally:
        spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
