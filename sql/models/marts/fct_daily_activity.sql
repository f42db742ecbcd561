{{ config(materialized='table', dist='profile_id', sort=['activity_date']) }}
-- One row per profile and UTC day with activity: the day buckets behind "last 7/30/90 days" figures.
select
  profile_id,
  event_date as activity_date,
  count(*) as events,
  sum(case when event_kind = 'page_view' then 1 else 0 end) as page_views,
  sum(case when event_kind = 'purchase' then 1 else 0 end) as purchases,
  sum(case when event_kind = 'purchase' then amount else 0 end) as revenue
from {{ ref('int_profile_events') }}
group by profile_id, event_date
