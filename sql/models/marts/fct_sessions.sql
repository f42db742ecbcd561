{{ config(materialized='table', dist='profile_id', sort=['profile_id', 'started_at']) }}
-- Sessions: a profile's events split where more than {{ var('session_gap_minutes') }} minutes pass without
-- one (the processors' session windows: events at most the gap apart are in one session).
-- One sort, no grouping: every event knows the time before it, its number and the page views so far;
-- the events that start a session are kept, and each session ends where the next one starts (or
-- with the profile's last event). Partitioned by profile_number (the profile id as an integer: the
-- sort of every event compares integers, not 29-byte ids alike in their first bytes).
with events as (
  select
    profile_number,
    profile_id,
    event_id,
    event_timestamp,
    lag(event_timestamp) over (
      partition by profile_number order by event_timestamp, event_id
    ) as previous_timestamp,
    row_number() over (
      partition by profile_number order by event_timestamp, event_id
    ) as event_number,
    sum(case when event_kind = 'page_view' then 1 else 0 end) over (
      partition by profile_number order by event_timestamp, event_id rows unbounded preceding
    ) - case when event_kind = 'page_view' then 1 else 0 end as page_views_before,
    count(*) over (partition by profile_number) as profile_events,
    max(event_timestamp) over (partition by profile_number) as profile_last_timestamp,
    sum(case when event_kind = 'page_view' then 1 else 0 end) over (partition by profile_number) as profile_page_views
  from {{ ref('int_profile_events') }}
),

starts as (
  -- More than the gap apart starts a new session, as the processors compare.
  select
    profile_number,
    profile_id,
    event_id,
    event_timestamp,
    previous_timestamp,
    event_number,
    page_views_before,
    profile_events,
    profile_last_timestamp,
    profile_page_views
  from events
  where previous_timestamp is null
    or event_timestamp > dateadd('minute', {{ var('session_gap_minutes') }}, previous_timestamp)
),

sessions as (
  select
    profile_id,
    row_number() over (
      partition by profile_number order by event_timestamp, event_id
    ) as session_number,
    event_timestamp as started_at,
    coalesce(
      lead(previous_timestamp) over (partition by profile_number order by event_timestamp, event_id),
      profile_last_timestamp
    ) as ended_at,
    coalesce(
      lead(event_number) over (partition by profile_number order by event_timestamp, event_id),
      profile_events + 1
    ) - event_number as events,
    coalesce(
      lead(page_views_before) over (partition by profile_number order by event_timestamp, event_id),
      profile_page_views
    ) - page_views_before as page_views
  from starts
)

select
  profile_id || '-' || cast(session_number as varchar) as session_id,
  profile_id,
  session_number,
  started_at,
  ended_at,
  datediff('millisecond', started_at, ended_at) as duration_ms,
  events,
  page_views
from sessions
