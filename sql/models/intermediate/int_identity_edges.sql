{{ config(materialized='table') }}
-- The identity graph's links, the way the processors draw them: a star from each event's primary
-- identifier (highest priority, then type name, then value) to each of its other identifiers.
with ranked as (
  select event_id, event_timestamp, identifier_type, identifier_key, rank_in_event
  from {{ ref('stg_event_identifiers') }}
)

select
  hub.event_id,
  hub.event_timestamp,
  hub.identifier_type as hub_type,
  hub.identifier_key as hub_key,
  spoke.identifier_type as spoke_type,
  spoke.identifier_key as spoke_key
from ranked as hub
inner join ranked as spoke
  on spoke.event_id = hub.event_id and spoke.rank_in_event > 1
where hub.rank_in_event = 1
