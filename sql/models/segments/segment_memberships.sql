{{ config(materialized='table', dist='profile_id', sort=['segment_id', 'profile_id']) }}
-- Every SQL segment's members at this refresh: what `cdp segments refresh` syncs to the serving store.
with members as (
  select 'sql-high-value-customers' as segment_id, profile_id from {{ ref('seg_high_value_customers') }}
  union all
  select 'sql-at-risk-churners', profile_id from {{ ref('seg_at_risk_churners') }}
  union all
  select 'sql-engaged-non-buyers', profile_id from {{ ref('seg_engaged_non_buyers') }}
  union all
  select 'rfm-champions', profile_id from {{ ref('seg_rfm_champions') }}
  union all
  select 'rfm-hibernating', profile_id from {{ ref('seg_rfm_hibernating') }}
)

select distinct
  segment_id,
  profile_id,
  cast({{ var('as_of') }} as timestamp) as computed_at
from members
