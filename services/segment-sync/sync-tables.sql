-- Bookkeeping of the segment sync, kept in the warehouse next to the models: what the serving store
-- holds (as last synced), every planned change (the outbox, in order) and the runs.
create schema if not exists tributary_sync;

create table if not exists tributary_sync.synced_memberships (
  segment_id varchar(256) not null,
  profile_id varchar(256) not null,
  entered_at timestamp not null
);

create table if not exists tributary_sync.runs (
  run_id varchar(64) not null,
  started_at timestamp not null,
  status varchar(16) not null,
  planned bigint not null,
  -- Highest sequence number applied to the store (and emitted).
  done_seq bigint not null
);

create table if not exists tributary_sync.outbox (
  run_id varchar(64) not null,
  seq bigint not null,
  segment_id varchar(256) not null,
  profile_id varchar(256) not null,
  change varchar(8) not null,
  entered_at timestamp not null
);
