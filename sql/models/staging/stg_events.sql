{{ config(materialized='table', dist='event_id', sort=['event_id']) }}
-- Canonical events from the lake, one row per event id: a retried or replayed event can land twice,
-- the copy received first is kept.
with
{% if target.type == 'redshift' %}
-- Spectrum reads `identity.externalids` as an array of structs: unnested (Spectrum's nested FROM) and
-- written back as the JSON array text the PostgreSQL branch has, so stg_event_identifiers reads both
-- alike. Values are JSON-escaped: control characters dropped, chr(92) = \ and chr(34) = " escaped.
event_external_ids as (
  select
    x_e.event_id,
    '[' || listagg(distinct
      '{"type":"'
      || replace(replace(regexp_replace(x.type, '[[:cntrl:]]', ''), chr(92), chr(92) || chr(92)), chr(34), chr(92) || chr(34))
      || '","value":"'
      || replace(replace(regexp_replace(x.value, '[[:cntrl:]]', ''), chr(92), chr(92) || chr(92)), chr(34), chr(92) || chr(34))
      || '"}', ',') || ']' as external_ids
  from {{ source('lake', 'events') }} as x_e, x_e.identity.externalids as x
  where x_e.event_id is not null
  group by x_e.event_id
),
{% endif %}
ranked as (
  select
    event_id,
    type as call_type,
    event_name,
    event_timestamp,
    received_at,
    source,
    {% if target.type == 'redshift' %}
    -- Spectrum reads the Glue `identity` struct (external ids: event_external_ids above).
    e.identity.userid as user_id,
    e.identity.anonymousid as anonymous_id,
    e.identity.email as email,
    e.identity.phone as phone,
    e.identity.previousid as previous_id,
    {% else %}
    identity_user_id as user_id,
    identity_anonymous_id as anonymous_id,
    identity_email as email,
    identity_phone as phone,
    identity_previous_id as previous_id,
    identity_external_ids as external_ids,
    {% endif %}
    properties,
    traits,
    context,
    row_number() over (partition by event_id order by received_at, event_timestamp) as copy_number
  from {{ source('lake', 'events') }} as e
  where event_id is not null and event_timestamp is not null
)

select
  event_id,
  call_type,
  event_name,
  event_timestamp,
  received_at,
  cast(event_timestamp as date) as event_date,
  source,
  user_id,
  anonymous_id,
  email,
  phone,
  previous_id,
  external_ids,
  properties,
  traits,
  context
from ranked
{% if target.type == 'redshift' %}
left join event_external_ids using (event_id)
{% endif %}
where copy_number = 1
