{{ config(materialized='table', dist='profile_id', sort=['profile_id', 'started_at']) }}
-- Sessions: a profile's events split where more than {{ var('session_gap_minutes') }} minutes pass without
-- one (the processors' session windows: events at most the gap apart are in one session).
-- One sort, no grouping: every event knows the times before and after it, its number and the page
-- views through it; the events that start a session and each profile's last event are kept, and each
-- session ends where the next kept row says the session before it ends. Partitioned by profile_key:
-- on PostgreSQL profile_number (the profile id as an integer: the sort of every event compares
-- integers, not 29-byte ids alike in their first bytes); on Redshift profile_id, the distribution key
-- of int_profile_events, so that every window runs on the slice that holds the profile's events. No
-- window over the whole partition (a profile's count or last time): each such window buffers every
-- event once more. The running page-view count takes the default frame on PostgreSQL (event ids are
-- unique, so no two events are peers and it is the rows frame Redshift requires): with the same
-- window as lag, lead and row_number it is computed in the same pass over the sorted events.
with keyed as (
  select
    {% if target.type == 'redshift' %}profile_id{% else %}profile_number{% endif %} as profile_key,
    profile_id,
    event_id,
    event_timestamp,
    case when event_kind = 'page_view' then 1 else 0 end as page_view
  from {{ ref('int_profile_events') }}
),

events as (
  select
    profile_key,
    profile_id,
    event_id,
    event_timestamp,
    lag(event_timestamp) over (
      partition by profile_key order by event_timestamp, event_id
    ) as previous_timestamp,
    lead(event_timestamp) over (
      partition by profile_key order by event_timestamp, event_id
    ) as next_timestamp,
    row_number() over (
      partition by profile_key order by event_timestamp, event_id
    ) as event_number,
    sum(page_view) over (
      partition by profile_key order by event_timestamp, event_id{% if target.type == 'redshift' %} rows unbounded preceding{% endif %}
    ) as page_views_through,
    page_view
  from keyed
),

bounds as (
  -- Session starts, and the profile's last event (where its last session ends). Each row also says
  -- where the session before it ends: just before it if it starts a session, else at it.
  select
    profile_key,
    profile_id,
    event_id,
    event_timestamp,
    next_timestamp,
    event_number,
    page_views_through,
    page_views_through - page_view as page_views_before,
    is_start,
    case when is_start = 1 then previous_timestamp else event_timestamp end as previous_end_timestamp,
    case when is_start = 1 then event_number - 1 else event_number end as previous_end_number,
    case when is_start = 1 then page_views_through - page_view else page_views_through end as previous_end_page_views
  from (
    select
      profile_key,
      profile_id,
      event_id,
      event_timestamp,
      previous_timestamp,
      next_timestamp,
      event_number,
      page_views_through,
      page_view,
      -- More than the gap apart starts a new session, as the processors compare.
      case
        when previous_timestamp is null or event_timestamp > dateadd('minute', {{ var('session_gap_minutes') }}, previous_timestamp) then 1
        else 0
      end as is_start
    from events
  ) as flagged
  where is_start = 1 or next_timestamp is null
),

sessions as (
  select
    profile_id,
    is_start,
    row_number() over (partition by profile_key order by event_timestamp, event_id) as session_number,
    event_timestamp as started_at,
    case
      when next_timestamp is null then event_timestamp
      else lead(previous_end_timestamp) over (partition by profile_key order by event_timestamp, event_id)
    end as ended_at,
    case
      when next_timestamp is null then event_number
      else lead(previous_end_number) over (partition by profile_key order by event_timestamp, event_id)
    end - event_number + 1 as events,
    case
      when next_timestamp is null then page_views_through
      else lead(previous_end_page_views) over (partition by profile_key order by event_timestamp, event_id)
    end - page_views_before as page_views
  from bounds
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
where is_start = 1
