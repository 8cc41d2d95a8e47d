/** Escapes text for HTML email bodies. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

/**
 * The frame every email shares: table layout and inline styles, because mail clients ignore
 * stylesheets. `body` is trusted HTML built by the templates (values escaped there).
 */
export function emailLayout(input: { preheader: string; body: string }): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Tenantbase</title></head>
<body style="margin:0;padding:0;background:#f4f4f5;font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#18181b;">
<span style="display:none;max-height:0;overflow:hidden;">${escapeHtml(input.preheader)}</span>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f5;padding:32px 12px;">
<tr><td align="center">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:520px;background:#ffffff;border:1px solid #e4e4e7;border-radius:12px;">
<tr><td style="padding:28px 32px 0 32px;font-size:15px;font-weight:600;letter-spacing:-0.01em;">&#9670; Tenantbase</td></tr>
<tr><td style="padding:20px 32px 32px 32px;font-size:15px;line-height:1.6;">${input.body}</td></tr>
</table>
<p style="font-size:12px;color:#71717a;margin:16px 0 0 0;">Sent by Tenantbase. If you did not expect this email, you can ignore it.</p>
</td></tr>
</table>
</body>
</html>`
}

export function emailButton(href: string, label: string): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0" style="margin:24px 0;"><tr><td style="background:#4f46e5;border-radius:8px;">
<a class="mail-link" href="${escapeHtml(href)}" style="display:inline-block;padding:12px 22px;color:#ffffff;text-decoration:none;font-weight:600;font-size:15px;">${escapeHtml(label)}</a>
</td></tr></table>`
}
