create or replace function public.get_user_profile()
returns table (id uuid, email text, first_name text, last_name text, avatar_url text, timezone text, locale text,
  active_organization_id uuid)
language sql stable
security invoker
set search_path = ''
as $$
  select u.user_id, coalesce((select core.get_current_user_email()), u.email), u.first_name, u.last_name,
    u.avatar_url, u.timezone, u.locale, u.active_organization_id
  from core.users_meta u where u.user_id = (select core.get_current_user_id())
$$;

create or replace function public.update_user_profile(
  p_first_name text default null, p_last_name text default null, p_avatar_url text default null,
  p_timezone text default null, p_locale text default null
) returns table (id uuid, email text, first_name text, last_name text, avatar_url text, timezone text, locale text,
  active_organization_id uuid)
language plpgsql
security definer -- the caller's own row only; organization columns are never written here
set search_path = ''
as $$
declare
  v_user uuid := core.get_current_user_id();
begin
  if v_user is null then
    raise exception 'Sign in to edit your profile' using errcode = '42501';
  end if;
  if p_timezone is not null and not exists (select 1 from pg_catalog.pg_timezone_names z where z.name = p_timezone) then
    raise exception 'Unknown time zone %', p_timezone using errcode = '22023';
  end if;
  insert into core.users_meta as u (user_id, email, first_name, last_name, avatar_url, timezone, locale)
  values (v_user, core.get_current_user_email(), btrim(p_first_name), btrim(p_last_name), p_avatar_url,
          coalesce(p_timezone, 'UTC'), coalesce(p_locale, 'en'))
  on conflict (user_id) do update set
    first_name = coalesce(btrim(p_first_name), u.first_name),
    last_name = coalesce(btrim(p_last_name), u.last_name),
    avatar_url = coalesce(p_avatar_url, u.avatar_url),
    timezone = coalesce(p_timezone, u.timezone),
    locale = coalesce(p_locale, u.locale);
  return query select * from public.get_user_profile();
end
$$;

revoke all on function public.get_user_profile(), public.update_user_profile(text, text, text, text, text)
  from public, anon, authenticated;
grant execute on function public.get_user_profile(), public.update_user_profile(text, text, text, text, text)
  to authenticated, service_role;
