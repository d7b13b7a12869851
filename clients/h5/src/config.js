// Build-time settings (Vite env variables, see README.md).
const env = import.meta.env || {}

export const API_BASE = '/aishang/api/v1/'

// Payment channels offered by the H5 portal; the server refuses
// (payment_refused) a channel the company has not set up.
export const payChannels = (env.VITE_PAY_CHANNELS || 'sandbox,alipay,unionpay')
  .split(',').map((c) => c.trim()).filter(Boolean)

// Polling of a pending payment order
export const payPoll = { interval: 1500, timeout: 120000 }
