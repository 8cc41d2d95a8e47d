export default function Invitation() {
  return <h1 className="text-xl font-semibold tracking-tight">Invitation</h1>
}
