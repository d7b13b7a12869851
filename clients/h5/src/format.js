// Display only: amounts are the server's strings, never computed here.
export function yuan(amount) {
  if (amount === null || amount === undefined || amount === '') return '—'
  return `¥${amount}`
}

export function period(bill) {
  if (!bill.period_start) return ''
  return bill.period_end && bill.period_end !== bill.period_start
    ? `${bill.period_start} 至 ${bill.period_end}`
    : bill.period_start
}

// "2026-11-28T01:30:00Z" in Beijing time, "2026-11-28 09:30"
export function dateTime(value) {
  if (!value) return ''
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) return value
  const china = new Date(date.getTime() + 8 * 3600 * 1000)
  const pad = (n) => String(n).padStart(2, '0')
  return `${china.getUTCFullYear()}-${pad(china.getUTCMonth() + 1)}-${pad(china.getUTCDate())} ` +
    `${pad(china.getUTCHours())}:${pad(china.getUTCMinutes())}`
}

// 2300000 → "2.2 MB", 5120 → "5 KB"
export function fileSize(bytes) {
  if (bytes >= 1048576) return `${Math.round(bytes / 104857.6) / 10} MB`
  return `${Math.max(1, Math.round(bytes / 1024))} KB`
}
