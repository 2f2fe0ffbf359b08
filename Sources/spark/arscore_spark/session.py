"""One SparkSession helper for the driver and the tests."""


def spark_session(master=None, app_name="arscore"):
    """A SparkSession (``master`` e.g. ``local[2]``; None keeps what spark-submit set), with a quiet log."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app_name)
    if master:
        builder = builder.master(master)
    builder = (builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "4"))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session
