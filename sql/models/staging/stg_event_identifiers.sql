{{ config(materialized='table', dist='event_id', sort=['event_id']) }}
-- Every identifier an event carries, normalized and with merge protection applied: the values that
-- never identify a person and generic e-mail addresses are left out (the defaults of
-- processors/identity/config.ts), so the warehouse joins exactly what the processors join.
-- stg_events is read twice, by `several` and by `single` (no CTE over every event: PostgreSQL would
-- copy the whole table into a work table first).
-- Most events carry one identifier (a device id): such an event's identifier is its first, with
-- nothing to rank or dedupe, so only the events that may carry several (`several` below: more than one
-- identifier column set, or external ids) are sorted and ranked; sorting every identifier of every
-- event by event id was the model's main cost (an external sort at ten million events).
with numbers as (
  select n from {{ ref('util_numbers') }}
),

-- The events that may carry several identifiers, read once from stg_events: each branch of
-- candidates below reads this subset (PostgreSQL materializes it once) instead of scanning every
-- event again.
several as (
  select event_id, event_timestamp, call_type, user_id, anonymous_id, email, phone, previous_id, external_ids
  from {{ ref('stg_events') }}
  where external_ids is not null
    or case when user_id is not null then 1 else 0 end
      + case when anonymous_id is not null then 1 else 0 end
      + case when email is not null then 1 else 0 end
      + case when phone is not null then 1 else 0 end
      + case when call_type = 'alias' and previous_id is not null then 1 else 0 end > 1
),

external_ids as (
  select
    several.event_id,
    several.event_timestamp,
    json_extract_array_element_text(several.external_ids, numbers.n) as element
  from several
  inner join numbers on numbers.n < json_array_length(several.external_ids)
  where several.external_ids is not null
),

candidates as (
  select event_id, event_timestamp, 'user_id' as identifier_type, trim(user_id) as identifier_value
  from several where user_id is not null
  union all
  select event_id, event_timestamp, 'anonymous_id', trim(anonymous_id)
  from several where anonymous_id is not null
  union all
  select event_id, event_timestamp, 'email', lower(trim(email))
  from several where email is not null
  union all
  select event_id, event_timestamp, 'phone', trim(phone)
  from several where phone is not null
  union all
  select event_id, event_timestamp, '{{ var("previous_id_type") }}', trim(previous_id)
  from several where call_type = 'alias' and previous_id is not null
  union all
  select
    event_id,
    event_timestamp,
    nullif(json_extract_path_text(element, 'type'), ''),
    trim(nullif(json_extract_path_text(element, 'value'), ''))
  from external_ids
),

-- The events with at most one identifier column set and no external ids: that identifier, if any.
single as (
  select
    event_id,
    event_timestamp,
    case
      when user_id is not null then 'user_id'
      when anonymous_id is not null then 'anonymous_id'
      when email is not null then 'email'
      when phone is not null then 'phone'
      else '{{ var("previous_id_type") }}'
    end as identifier_type,
    case
      when user_id is not null then trim(user_id)
      when anonymous_id is not null then trim(anonymous_id)
      when email is not null then lower(trim(email))
      when phone is not null then trim(phone)
      else trim(previous_id)
    end as identifier_value
  from {{ ref('stg_events') }} as events
  where external_ids is null
    and case when user_id is not null then 1 else 0 end
      + case when anonymous_id is not null then 1 else 0 end
      + case when email is not null then 1 else 0 end
      + case when phone is not null then 1 else 0 end
      + case when call_type = 'alias' and previous_id is not null then 1 else 0 end = 1
),

kept as (
  select event_id, event_timestamp, identifier_type, identifier_value
  from candidates
  where identifier_type is not null
    and identifier_value is not null
    and lower(identifier_value) not in (
      {{ var("blocked_identifier_values") }}
    )
    and not (
      identifier_type = 'email'
      and split_part(split_part(lower(identifier_value), '@', 1), '+', 1) in (
        {{ var("generic_email_local_parts") }}
      )
    )
),

prioritized as (
  select
    event_id,
    event_timestamp,
    identifier_type,
    identifier_value,
    case identifier_type
      when 'user_id' then 100
      when 'email' then 80
      when 'phone' then 60
      when 'anonymous_id' then 10
      else 50
    end as identifier_priority
  from kept
),

-- One sort does both the dedup and the ranking: copies of one identifier in an event (an alias's
-- previousId that is also its anonymousId, a repeated external id) are peers in this order, so
-- dense_rank numbers the distinct identifiers and the first copy is the one whose row_number is its rank.
ranked as (
  select
    event_id,
    event_timestamp,
    identifier_type,
    identifier_value,
    identifier_priority,
    dense_rank() over (
      partition by event_id
      order by identifier_priority desc, identifier_type, identifier_value
    ) as rank_in_event,
    rank() over (
      partition by event_id
      order by identifier_priority desc, identifier_type, identifier_value
    ) as first_copy_number,
    row_number() over (
      partition by event_id
      order by identifier_priority desc, identifier_type, identifier_value
    ) as copy_number
  from prioritized
)

select
  event_id,
  event_timestamp,
  identifier_type,
  identifier_value,
  identifier_type || ':' || identifier_value as identifier_key,
  identifier_priority,
  rank_in_event
from ranked
where copy_number = first_copy_number
union all
-- An event's only identifier is its first (and the extracted external ids above are never these).
select
  event_id,
  event_timestamp,
  identifier_type,
  identifier_value,
  identifier_type || ':' || identifier_value as identifier_key,
  case identifier_type
    when 'user_id' then 100
    when 'email' then 80
    when 'phone' then 60
    when 'anonymous_id' then 10
    else 50
  end as identifier_priority,
  1 as rank_in_event
-- (Its type and value are never null: the one column set is the one the cases pick.)
from single
where lower(identifier_value) not in (
    {{ var("blocked_identifier_values") }}
  )
  and not (
    identifier_type = 'email'
    and split_part(split_part(lower(identifier_value), '@', 1), '+', 1) in (
      {{ var("generic_email_local_parts") }}
    )
  )
