{{ config(materialized='table', dist='profile_id', sort=['profile_id', 'event_timestamp']) }}
-- Every event with the profile it counts for: the profile of its primary identifier, as in the
-- processors. Events without a usable identifier count for no profile. Narrow on purpose: the marts
-- read every row of it several times, so the event's properties (only the purchase amount is used)
-- and context stay in stg_events; traits stay for dim_profiles.
with primary_identifier as (
  select event_id, identifier_key, rank_in_event
  from {{ ref('stg_event_identifiers') }}
)

select
  profiles.profile_id,
  profiles.profile_number,
  events.event_id,
  events.call_type,
  events.event_name,
  events.event_timestamp,
  events.event_date,
  events.source,
  events.traits,
  -- What the event means to the counters: the processors' default mapping (processors/profiles).
  case
    when events.event_name = 'page_view' then 'page_view'
    when events.event_name in ('purchase', 'Order Completed') then 'purchase'
    when events.event_name in ('signup', 'Signed Up') then 'signup'
    else 'other'
  end as event_kind,
  -- Purchase amount: `amount` of a seed purchase, `revenue` else `total` of Order Completed; 0 if none.
  coalesce(
    case
      when events.event_name = 'purchase' then case when trim(json_extract_path_text(events.properties, 'amount')) ~ '^-?[0-9]+(\.[0-9]+)?$' then cast(trim(json_extract_path_text(events.properties, 'amount')) as decimal(18, 2)) end
      when events.event_name = 'Order Completed' then coalesce(
        case when trim(json_extract_path_text(events.properties, 'revenue')) ~ '^-?[0-9]+(\.[0-9]+)?$' then cast(trim(json_extract_path_text(events.properties, 'revenue')) as decimal(18, 2)) end,
        case when trim(json_extract_path_text(events.properties, 'total')) ~ '^-?[0-9]+(\.[0-9]+)?$' then cast(trim(json_extract_path_text(events.properties, 'total')) as decimal(18, 2)) end
      )
    end,
    0
  ) as amount
from {{ ref('stg_events') }} as events
inner join primary_identifier
  on primary_identifier.event_id = events.event_id and primary_identifier.rank_in_event = 1
inner join {{ ref('int_identity_profiles') }} as profiles
  on profiles.identifier_key = primary_identifier.identifier_key
