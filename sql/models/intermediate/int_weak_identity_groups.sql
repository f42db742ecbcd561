{{ config(materialized='table') }}
-- Weak identifiers (everything but user ids) joined through the links between them: each weak
-- identifier with the smallest key of its group. User ids are strong (one per profile), so they are
-- attached afterwards instead of joining groups.
with recursive weak_links (a_key, b_key) as (
  select hub_key, spoke_key from {{ ref('int_identity_edges') }}
  where hub_type <> 'user_id' and spoke_type <> 'user_id'
),

undirected (a_key, b_key) as (
  select a_key, b_key from weak_links
  union all
  select b_key, a_key from weak_links
),

reach (root_key, node_key, depth) as (
  select identifier_key, identifier_key, 0
  from {{ ref('int_identifiers') }}
  where identifier_type <> 'user_id'
  union all
  select reach.root_key, undirected.b_key, reach.depth + 1
  from reach
  inner join undirected on undirected.a_key = reach.node_key
  where reach.depth < {{ var('identity_max_depth') }}
)

select
  root_key as identifier_key,
  min(node_key) as group_key
from reach
group by root_key
