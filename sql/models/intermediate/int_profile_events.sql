{{ config(materialized='table', dist='profile_id', sort=['profile_id', 'event_timestamp']) }}
-- Every event with the profile it counts for: the profile of its primary identifier, as in the
-- processors. Events without a usable identifier count for no profile. Narrow on purpose: the marts
-- read every row of it several times, so the event's properties (only the purchase amount is used)
-- and context stay in stg_events; traits stay for dim_profiles.
-- Most events carry only the identity columns (no external ids, no alias): their primary identifier
-- is the first of user_id, email, phone and anonymous_id (priorities 100, 80, 60, 10) that
-- stg_event_identifiers keeps (not blank, not a blocked value, not a generic e-mail), found here from
-- the row itself; looking it up in stg_event_identifiers joined ten million events to ten million
-- identifiers by event id. Events with external ids or an alias's previousId, whose identifiers
-- compete on type and value, take their first identifier from stg_event_identifiers.
with keyed_events as (
  select
    event_id,
    call_type,
    event_name,
    event_timestamp,
    event_date,
    source,
    properties,
    traits,
    coalesce(
      case when lower(trim(user_id)) not in ({{ var("blocked_identifier_values") }})
        then 'user_id:' || trim(user_id) end,
      case when lower(trim(email)) not in ({{ var("blocked_identifier_values") }})
        and split_part(split_part(lower(trim(email)), '@', 1), '+', 1) not in ({{ var("generic_email_local_parts") }})
        then 'email:' || lower(trim(email)) end,
      case when lower(trim(phone)) not in ({{ var("blocked_identifier_values") }})
        then 'phone:' || trim(phone) end,
      case when lower(trim(anonymous_id)) not in ({{ var("blocked_identifier_values") }})
        then 'anonymous_id:' || trim(anonymous_id) end
    ) as identifier_key
  from {{ ref('stg_events') }}
  where external_ids is null
    and case when call_type = 'alias' and previous_id is not null then 1 else 0 end = 0
  union all
  select
    events.event_id,
    events.call_type,
    events.event_name,
    events.event_timestamp,
    events.event_date,
    events.source,
    events.properties,
    events.traits,
    identifiers.identifier_key
  from {{ ref('stg_events') }} as events
  inner join {{ ref('stg_event_identifiers') }} as identifiers
    on identifiers.event_id = events.event_id and identifiers.rank_in_event = 1
  where events.external_ids is not null
    or case when events.call_type = 'alias' and events.previous_id is not null then 1 else 0 end = 1
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
from keyed_events as events
inner join {{ ref('int_identity_profiles') }} as profiles
  on profiles.identifier_key = events.identifier_key
