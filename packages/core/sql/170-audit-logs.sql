create table core.audit_logs (
  id uuid primary key default gen_random_uuid(),
  organization_id uuid not null references core.organizations (id) on delete cascade,
  actor_id uuid,
  target_table text not null,
  target_id uuid,
  action text not null,
  changes jsonb not null default '{}',
  created_at timestamptz not null default now(),
  constraint audit_logs_action_check
    check (action in ('insert', 'update', 'soft_delete', 'restore', 'delete'))
);
create index audit_logs_organization_id_created_at_idx on core.audit_logs (organization_id, created_at desc);
create index audit_logs_target_idx on core.audit_logs (target_table, target_id);
comment on table core.audit_logs is
  'Append-only trail written by triggers on core and app tables; read with public.get_audit_log (audit.read).';
comment on column core.audit_logs.changes is
  'insert: the new row; update: {column: {old, new}} for changed columns; delete: the old row.';

alter table core.audit_logs enable row level security;
revoke all on core.audit_logs from public, anon, authenticated, service_role;
grant select on core.audit_logs to service_role;
-- No policy for authenticated: members read the trail only through public.get_audit_log.

create trigger audit_logs_append_only before update or delete on core.audit_logs
  for each row execute function utils.refuse_change();
create trigger audit_logs_no_truncate before truncate on core.audit_logs
  for each statement execute function utils.refuse_change();
