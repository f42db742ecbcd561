{{ config(materialized='table', dist='profile_id', sort=['activity_date']) }}
-- One row per profile and UTC day with activity: the day buckets behind "last 7/30/90 days" figures.
-- Revenue is summed apart, from the purchases only: a decimal sum keeps a large state per group, and
-- summed with the counts it was kept for every profile-day (half the hash table's memory and time;
-- at ten million profile-days the table spilled to disk). Days without a purchase get 0, as before.
with days as (
  select
    profile_id,
    event_date,
    count(*) as events,
    sum(case when event_kind = 'page_view' then 1 else 0 end) as page_views,
    sum(case when event_kind = 'purchase' then 1 else 0 end) as purchases
  from {{ ref('int_profile_events') }}
  group by profile_id, event_date
),

revenue as (
  select profile_id, event_date, sum(amount) as revenue
  from {{ ref('int_profile_events') }}
  where event_kind = 'purchase'
  group by profile_id, event_date
)

select
  days.profile_id,
  days.event_date as activity_date,
  days.events,
  days.page_views,
  days.purchases,
  coalesce(revenue.revenue, 0) as revenue
from days
left join revenue on revenue.profile_id = days.profile_id and revenue.event_date = days.event_date
