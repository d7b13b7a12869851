# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.model import DictSchemaMixin, ModelSQL, ModelView, fields
from trytond.pyson import Eval


class CustomField(DictSchemaMixin, ModelSQL, ModelView):
    "A field staff add to resources or owners without code (自定义字段)"
    __name__ = 'property.custom_field'
    target = fields.Selection([
            ('resource', "Resource"),
            ('party', "Owner"),
            ], "Applies To", required=True)
    projects = fields.Many2Many(
        'property.custom_field-property.project', 'field', 'project',
        "Projects",
        states={'invisible': Eval('target') != 'resource'},
        help="Limit the field to these projects; leave empty for all.")

    @staticmethod
    def default_target():
        return 'resource'


class CustomFieldProject(ModelSQL):
    "Custom Field - Project"
    __name__ = 'property.custom_field-property.project'
    field = fields.Many2One(
        'property.custom_field', "Field", required=True, ondelete='CASCADE')
    project = fields.Many2One(
        'property.project', "Project", required=True, ondelete='CASCADE')
