-- Every event counted for a profile shows up in exactly one day bucket.
select profiles.profile_id
from {{ ref('dim_profiles') }} as profiles
left join (
  select profile_id, sum(events) as events from {{ ref('fct_daily_activity') }} group by profile_id
) as days on days.profile_id = profiles.profile_id
where coalesce(days.events, 0) <> profiles.total_events
