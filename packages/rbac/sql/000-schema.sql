-- Hierarchical RBAC: roles of an organization form a DAG (rbac.role_edges) whose transitive
-- closure (rbac.role_closure) answers "is role A above role B" with one index lookup.

create schema if not exists rbac;
comment on schema rbac is 'Role graph, closure, permissions, access engine and claims. Not exposed over the API.';
grant usage on schema rbac to authenticated, service_role;
alter default privileges in schema rbac revoke execute on functions from public;
