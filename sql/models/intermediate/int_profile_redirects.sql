{{ config(materialized='view') }}
-- Old profile ids and the profile they live on in now, following merge chains (a into b, b into c).
with recursive chain (from_profile_id, current_profile_id, depth) as (
  select from_profile_id, into_profile_id, 1
  from {{ ref('stg_identity_merges') }}
  union all
  select chain.from_profile_id, merges.into_profile_id, chain.depth + 1
  from chain
  inner join {{ ref('stg_identity_merges') }} as merges on merges.from_profile_id = chain.current_profile_id
  where chain.depth < 32
),

ranked as (
  select
    from_profile_id,
    current_profile_id,
    depth,
    row_number() over (partition by from_profile_id order by depth desc) as depth_rank
  from chain
)

select from_profile_id, current_profile_id, depth as merge_hops
from ranked
where depth_rank = 1
