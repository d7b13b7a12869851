// The new-ticket form: kinds, area choices, validation, the body of
// POST owner/tickets and the photo checks. Pure functions.
const { fileSize } = require('../../utils/format');

const KINDS = [
  { value: 'repair', label: '报修' },
  { value: 'complaint', label: '投诉' },
  { value: 'suggestion', label: '建议' },
];
const MAX_PHOTOS = 4;
// The server's [aishang_portal] photo_max_bytes (5 MiB, 413 above it):
// checked here so that a large photo is refused before it is sent.
const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
// PNG, JPEG and WebP only (the server checks the content); a temporary path
// without extension is left to the server.
const PHOTO_EXTENSION = /\.([a-z0-9]+)$/i;
const PHOTO_TYPES = ['jpg', 'jpeg', 'png', 'webp'];
const PHONE = /^[0-9+\- ]{5,20}$/;

function kindOf(value) {
  return KINDS.some((k) => k.value === value) ? value : KINDS[0].value;
}

// Each resource held (户内), then the public area (公共区域) of each of
// their projects: the project is named only when there are several.
function areaOptions(resources) {
  const options = (resources || []).map((r) => ({
    key: `r${r.id}`, label: `户内 · ${r.name}`, resource: r.id, placeHint: '如：厨房、卫生间（选填）',
  }));
  const projects = [];
  (resources || []).forEach((r) => {
    if (r.project && !projects.some((p) => p.id === r.project.id)) projects.push(r.project);
  });
  const publicArea = (key, label, project) => ({ key, label, project, placeHint: '如：电梯间、地下车库（选填）' });
  projects.forEach((p) => options.push(
    publicArea(`p${p.id}`, projects.length > 1 ? `公共区域 · ${p.name}` : '公共区域', p.id),
  ));
  // no resource: the server answers why a ticket cannot be reported
  if (!projects.length) options.push(publicArea('public', '公共区域'));
  return options;
}

// The first problem of the form, {field, message}, or null.
function validate(form) {
  if (!String(form.description || '').trim()) return { field: 'description', message: '请填写问题描述' };
  if (!form.area) return { field: 'area', message: '请选择报事区域' };
  const phone = String(form.contactPhone || '').trim();
  if (phone && !PHONE.test(phone)) return { field: 'contactPhone', message: '联系电话格式不正确' };
  return null;
}

// The body of POST owner/tickets: empty optional fields are left out (the
// server refuses nulls and unknown fields). A public area is at
// form.location ({id}) if chosen, which also gives the server the project;
// a private one never has a location.
function requestBody(form, area) {
  const body = { kind: form.kind, description: String(form.description).trim() };
  if (form.category) body.category = form.category;
  if (area && area.resource) body.resource = area.resource;
  else if (form.location) body.location = form.location.id;
  else if (area && area.project) body.project = area.project;
  const place = String(form.place || '').trim();
  if (place) body.place = place;
  const phone = String(form.contactPhone || '').trim();
  if (phone) body.contact_phone = phone;
  return body;
}

function photoError(file) {
  const ext = PHOTO_EXTENSION.exec(file.url || '');
  if ((file.type && file.type !== 'image') || (ext && !PHOTO_TYPES.includes(ext[1].toLowerCase()))) {
    return '仅支持 JPG、PNG、WebP 格式的图片';
  }
  if (file.size > PHOTO_MAX_BYTES) {
    return `照片不能超过 5 MB（所选照片 ${fileSize(file.size)}），请压缩后重新选择`;
  }
  return '';
}

// Splits files chosen with van-uploader ({url, size, type}) into those
// accepted next to `count` photos already chosen and the refusal messages.
function checkPhotos(files, count) {
  const accepted = [];
  const refused = [];
  [].concat(files || []).forEach((file) => {
    const error = count + accepted.length >= MAX_PHOTOS
      ? `最多上传 ${MAX_PHOTOS} 张照片`
      : photoError(file);
    if (error) {
      if (!refused.includes(error)) refused.push(error);
    } else {
      accepted.push({ url: file.url, size: file.size, isImage: true });
    }
  });
  return { accepted, refused };
}

// 照片1, 照片2…: the names failures are reported by.
function numbered(photos) {
  return photos.map((p, i) => Object.assign({}, p, { name: `照片${i + 1}` }));
}

module.exports = {
  KINDS, MAX_PHOTOS, PHOTO_MAX_BYTES, kindOf, areaOptions, validate, requestBody, checkPhotos, numbered,
};
