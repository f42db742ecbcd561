{{ config(materialized='table') }}
-- Every identifier with the time it was first seen (the anchor tie-break after priority). Grouped by
-- all four columns: the key is `type:value` and the priority follows from the type (identifier types
-- are snake_case, so no two type/value pairs share a key), and min() over the text columns to carry
-- them through cost a comparison and a copy per identifier of every event.
select
  identifier_key,
  identifier_type,
  identifier_value,
  identifier_priority,
  min(event_timestamp) as first_seen
from {{ ref('stg_event_identifiers') }}
group by identifier_key, identifier_type, identifier_value, identifier_priority
