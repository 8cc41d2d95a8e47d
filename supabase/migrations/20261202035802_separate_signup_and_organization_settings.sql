-- separate signup and organization settings
--
-- Written by hand: changes to state that `pnpm db:generate` does not guess (columns, constraints,
-- data). Make the same change to the SQL packages, so a database built from scratch and one
-- upgraded by this migration end up equal (the upgrade test compares them). Once released, this
-- file is never edited again.

-- One setting meant two things; now "may create organizations" and "may sign up without an
-- invitation" are separate. A deployment that had opened both keeps organization creation open.
insert into platform.platform_settings (key, value, description)
select 'allow_organization_creation',
       coalesce((select value from platform.platform_settings where key = 'allow_self_service_signup'), 'false'),
       'Let signed-in people create organizations of their own (public.create_organization)'
on conflict (key) do nothing;
update platform.platform_settings set description = 'Let people sign up without an invitation'
where key = 'allow_self_service_signup';
