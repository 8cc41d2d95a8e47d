-- permission catalogue
--
-- Written by hand: changes to state that `pnpm db:generate` does not guess (columns, constraints,
-- data). Make the same change to the SQL packages, so a database built from scratch and one
-- upgraded by this migration end up equal (the upgrade test compares them). Once released, this
-- file is never edited again.

-- Codes that gated nothing leave the catalogue; their grants go with them (on delete cascade).
delete from rbac.permissions where code in ('members.read', 'files.read', 'billing.read', 'organization.delete');

-- What each remaining code now gates.
update rbac.permissions p set description = v.description
from (values
  ('organization.update', 'Edit the organization''s name, description and profile'),
  ('members.invite', 'Invite people to roles below one''s own; list, resend and cancel invitations'),
  ('billing.manage', 'See the billing account and change the plan, seats and payment details'),
  ('files.manage', 'Register, change and delete the organization''s unbound files')
) as v (code, description)
where p.code = v.code;
