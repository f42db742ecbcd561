-- CRM contacts as the import staged them (identify events), the latest row per contact.
with ranked as (
  select
    event_id,
    event_timestamp as imported_at,
    identity_user_id as user_id,
    lower(trim(identity_email)) as email,
    identity_phone as phone,
    identity_external_ids as external_ids,
    traits,
    row_number() over (
      partition by coalesce(identity_external_ids, identity_email, identity_user_id, event_id)
      order by event_timestamp desc, event_id desc
    ) as recency_rank
  from {{ source('lake', 'crm_contacts') }}
)

select
  event_id,
  imported_at,
  user_id,
  email,
  phone,
  external_ids,
  nullif(json_extract_path_text(traits, 'name'), '') as name,
  nullif(json_extract_path_text(traits, 'company'), '') as company,
  traits
from ranked
where recency_rank = 1
