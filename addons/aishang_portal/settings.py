# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""The [aishang_portal] section of the trytond configuration.

Read at each use (never cached in the module) so that every worker process
sees the file it was started with, and tests can change a value.
"""
from trytond import config

SECTION = 'aishang_portal'

DEFAULTS = {
    # The database of the routes without a database in their path
    'database': '',
    # Company of the verifications of phones not on file (all when empty)
    'company': '',
    # Language of error messages when the client sends no Accept-Language
    'language': 'zh_CN',
    # Largest JSON body accepted, in bytes
    'max_body': 16 * 1024,
    # SMS verification codes
    'sms_backend': 'console',
    'code_ttl': 300,
    'code_attempts': 5,
    'code_pepper': '',
    'sms_interval': 60,
    'sms_phone_hour': 5,
    'sms_phone_day': 10,
    'sms_ip_hour': 20,
    'sms_sign_name': '',
    'sms_code_template': '',
    'sms_message_template': '',
    # Aliyun (alibabacloud-dysmsapi20170525)
    'aliyun_access_key_id': '',
    'aliyun_access_key_secret': '',
    'aliyun_endpoint': 'dysmsapi.aliyuncs.com',
    # Tencent Cloud (tencentcloud-sdk-python-sms)
    'tencent_secret_id': '',
    'tencent_secret_key': '',
    'tencent_region': 'ap-guangzhou',
    'tencent_sms_app_id': '',
    # WeChat mini-program
    'wechat_appid': '',
    'wechat_secret': '',
    'wechat_timeout': 10,
    'wechat_subscribe_template': '',
    'wechat_subscribe_page': '',
    # Notices
    'attachment_max_size': 20 * 1024 * 1024,
    # Tickets: largest photo an owner uploads, in bytes
    'photo_max_bytes': 5 * 1024 * 1024,
    # The built H5 portal served under /owner/ (empty: clients/h5/dist)
    'h5_dir': '',
    }


def get(name):
    "The configured value of name as text"
    return config.get(SECTION, name, default=str(DEFAULTS[name]))


def getint(name):
    value = get(name)
    try:
        return int(value)
    except (TypeError, ValueError):
        return int(DEFAULTS[name])
