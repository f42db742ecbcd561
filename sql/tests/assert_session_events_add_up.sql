-- Every event of a profile is in exactly one of its sessions, and so is every page view.
select profiles.profile_id
from {{ ref('dim_profiles') }} as profiles
left join (
  select profile_id, sum(events) as events, sum(page_views) as page_views
  from {{ ref('fct_sessions') }}
  group by profile_id
) as sessions on sessions.profile_id = profiles.profile_id
where coalesce(sessions.events, 0) <> profiles.total_events
  or coalesce(sessions.page_views, 0) <> profiles.total_page_views
