{{ config(materialized='table', dist='profile_id', sort=['profile_id']) }}
-- Recency, frequency and monetary quintiles (1 = lowest, 5 = best) of the profiles that purchased.
with buyers as (
  select
    profile_id,
    datediff('day', last_purchase_at, cast({{ var('as_of') }} as timestamp)) as recency_days,
    total_purchases as frequency,
    lifetime_value as monetary
  from {{ ref('dim_profiles') }}
  where total_purchases > 0
),

scored as (
  select
    profile_id,
    recency_days,
    frequency,
    monetary,
    ntile(5) over (order by recency_days desc, profile_id) as recency_score,
    ntile(5) over (order by frequency, profile_id) as frequency_score,
    ntile(5) over (order by monetary, profile_id) as monetary_score
  from buyers
)

select
  profile_id,
  recency_days,
  frequency,
  monetary,
  recency_score,
  frequency_score,
  monetary_score,
  cast(recency_score as varchar) || cast(frequency_score as varchar) || cast(monetary_score as varchar) as rfm_cell,
  case
    when recency_score >= 4 and frequency_score >= 4 and monetary_score >= 4 then 'champions'
    when recency_score >= 3 and frequency_score >= 3 then 'loyal'
    when recency_score >= 4 then 'recent'
    when recency_score <= 2 and frequency_score <= 2 then 'hibernating'
    else 'needs_attention'
  end as rfm_segment
from scored
