"""AWS Glue entry point of the CRM import: arguments, GlueContext, job bookmarks; the work is
tributary_glue.job.run (pure PySpark, tested locally). `awsglue` exists only on Glue, so it is
imported inside main().

Arguments: --JOB_NAME --input_path s3://<imports>/crm/<batch>/ --mapping_path s3://.../crm-default.json
--staging_path s3://<staging>/crm-import/<batch>/ --errors_path s3://<staging>/crm-import-errors/<batch>/
[--imported_at 2024-05-01T12:00:00Z]. Python modules: --additional-python-modules from requirements.txt
and this folder's tributary_glue package via --extra-py-files.
"""

import sys

from tributary_glue.job import REQUIRED_ARGS, run


def main(argv=None) -> None:
    """Runs the job on Glue."""
    from awsglue.context import GlueContext
    from awsglue.job import Job
    from awsglue.utils import getResolvedOptions
    from pyspark.context import SparkContext

    argv = sys.argv if argv is None else argv
    names = ["JOB_NAME", *REQUIRED_ARGS]
    if "--imported_at" in argv:
        names.append("imported_at")
    args = getResolvedOptions(argv, names)
    glue_context = GlueContext(SparkContext.getOrCreate())
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    result = run(glue_context.spark_session, args)
    print(f"crm import: {result['accepted']} accepted, {result['rejected']} rejected")
    job.commit()


if __name__ == "__main__":
    main()
