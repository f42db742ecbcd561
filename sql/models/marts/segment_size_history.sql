{{ config(materialized='incremental', unique_key=['segment_id', 'computed_at'], sort=['computed_at']) }}
-- Members per segment at every refresh: appended (merged on segment and time) at each run.
select
  segment_id,
  computed_at,
  count(*) as members
from {{ ref('segment_memberships') }}
{% if is_incremental() %}
where computed_at > (select coalesce(max(computed_at), cast('1970-01-01' as timestamp)) from {{ this }})
{% endif %}
group by segment_id, computed_at
