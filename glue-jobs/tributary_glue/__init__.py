"""Pure PySpark transforms of the Tributary Glue jobs (no awsglue import anywhere in this package)."""
