{{ config(materialized='table', dist='profile_id', sort=['profile_id', 'started_at']) }}
-- Sessions: a profile's events split where more than {{ var('session_gap_minutes') }} minutes pass without
-- one (the processors' session windows: events at most the gap apart are in one session).
with events as (
  select
    profile_id,
    event_id,
    event_kind,
    event_timestamp,
    lag(event_timestamp) over (partition by profile_id order by event_timestamp, event_id) as previous_timestamp
  from {{ ref('int_profile_events') }}
),

marked as (
  select
    profile_id,
    event_id,
    event_kind,
    event_timestamp,
    case
      when previous_timestamp is null then 1
      -- More than the gap apart, as the processors compare (a timestamp comparison: no per-row
      -- arithmetic on epochs).
      when event_timestamp > dateadd('minute', {{ var('session_gap_minutes') }}, previous_timestamp) then 1
      else 0
    end as starts_session
  from events
),

numbered as (
  select
    profile_id,
    event_id,
    event_kind,
    event_timestamp,
    sum(starts_session) over (
      partition by profile_id order by event_timestamp, event_id rows unbounded preceding
    ) as session_number
  from marked
)

select
  profile_id || '-' || cast(session_number as varchar) as session_id,
  profile_id,
  session_number,
  min(event_timestamp) as started_at,
  max(event_timestamp) as ended_at,
  datediff('millisecond', min(event_timestamp), max(event_timestamp)) as duration_ms,
  count(*) as events,
  sum(case when event_kind = 'page_view' then 1 else 0 end) as page_views
from numbered
group by profile_id, session_number
