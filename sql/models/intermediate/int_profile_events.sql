{{ config(materialized='table', dist='profile_id', sort=['profile_id', 'event_timestamp']) }}
-- Every event with the profile it counts for: the profile of its primary identifier, as in the
-- processors. Events without a usable identifier count for no profile.
with primary_identifier as (
  select
    event_id,
    identifier_key,
    row_number() over (
      partition by event_id
      order by identifier_priority desc, identifier_type, identifier_value
    ) as rank_in_event
  from {{ ref('stg_event_identifiers') }}
)

select
  profiles.profile_id,
  events.event_id,
  events.call_type,
  events.event_name,
  events.event_timestamp,
  events.event_date,
  events.source,
  events.properties,
  events.traits,
  events.context,
  case
    when nullif(json_extract_path_text(events.properties, 'amount'), '') ~ '^-?[0-9]+(\.[0-9]+)?$'
      then cast(json_extract_path_text(events.properties, 'amount') as decimal(18, 2))
    when nullif(json_extract_path_text(events.properties, 'revenue'), '') ~ '^-?[0-9]+(\.[0-9]+)?$'
      then cast(json_extract_path_text(events.properties, 'revenue') as decimal(18, 2))
    else 0
  end as amount
from {{ ref('stg_events') }} as events
inner join primary_identifier
  on primary_identifier.event_id = events.event_id and primary_identifier.rank_in_event = 1
inner join {{ ref('int_identity_profiles') }} as profiles
  on profiles.identifier_key = primary_identifier.identifier_key
