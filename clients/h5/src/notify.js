// How errors and messages reach the owner: Vant toasts and dialogs.
import { showFailToast, showSuccessToast, showDialog, showConfirmDialog } from 'vant'

export function showError(error) {
  const message = (error && error.message) || '操作失败，请稍后重试'
  showFailToast({ message, duration: 3000 })
}

export function showOk(message) {
  showSuccessToast(message)
}

export function alert(message, title = '提示') {
  return showDialog({ title, message })
}

export function confirm(message, title = '请确认') {
  return showConfirmDialog({ title, message }).then(() => true, () => false)
}
