// Browsers ask for /favicon.ico on pages without an icon link (error pages, images, PDFs).
export function loader() {
  return new Response(null, {
    status: 301,
    headers: { location: '/favicon.svg', 'cache-control': 'public, max-age=86400' },
  })
}
