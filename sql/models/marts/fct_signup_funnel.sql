{{ config(materialized='table') }}
-- The visit → signup → purchase funnel: profiles reaching each step in order, and conversion from
-- the step before.
with firsts as (
  select
    profile_id,
    min(case when event_kind = 'page_view' then event_timestamp end) as first_visit_at,
    min(case when event_kind = 'signup' then event_timestamp end) as first_signup_at,
    min(case when event_kind = 'purchase' then event_timestamp end) as first_purchase_at
  from {{ ref('int_profile_events') }}
  group by profile_id
),

steps as (
  select
    profile_id,
    case when first_visit_at is not null then 1 else 0 end as visited,
    case when first_visit_at is not null and first_signup_at >= first_visit_at then 1 else 0 end as signed_up,
    case
      when first_visit_at is not null and first_signup_at >= first_visit_at
        and first_purchase_at >= first_signup_at then 1
      else 0
    end as purchased
  from firsts
),

totals as (
  select sum(visited) as visited, sum(signed_up) as signed_up, sum(purchased) as purchased from steps
)

select 1 as step_number, 'visited' as step_name, visited as profiles, cast(1.0 as decimal(9, 4)) as conversion_from_previous
from totals
union all
select 2, 'signed_up', signed_up, cast(case when visited = 0 then 0 else 1.0 * signed_up / visited end as decimal(9, 4))
from totals
union all
select 3, 'purchased', purchased, cast(case when signed_up = 0 then 0 else 1.0 * purchased / signed_up end as decimal(9, 4))
from totals
