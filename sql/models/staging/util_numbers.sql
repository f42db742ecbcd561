-- The integers 0..63: positions in JSON arrays (an event carries at most 32 identifiers).
with digits as (
  select 0 as d union all select 1 union all select 2 union all select 3
  union all select 4 union all select 5 union all select 6 union all select 7
)

select tens.d * 8 + ones.d as n
from digits as tens
cross join digits as ones
