"""The PySpark driver of arscore: sharded scoring (partition -> score per shard -> merge) and exact
distributed Newton training, with the arscore binary shipped to the executors by SparkContext.addFile."""
