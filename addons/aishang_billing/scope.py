# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.aishang_property.resource import KINDS
from trytond.pyson import Bool, Eval, If

from .exceptions import ScopeValidationError
from .money import SCOPE_FIELDS


class ScopeMixin:
    """Rules that apply to a project, a building, a unit, a resource kind
    or a single resource, over an effective date range."""
    __slots__ = ()
    project = fields.Many2One(
        'property.project', "Project", required=True, ondelete='CASCADE')
    building = fields.Many2One(
        'property.building', "Building", ondelete='CASCADE',
        domain=[('project', '=', Eval('project', -1))],
        help="Limit the rule to a building.")
    unit = fields.Many2One(
        'property.unit', "Unit", ondelete='CASCADE',
        domain=[('building', '=', Eval('building', -1))],
        states={'invisible': ~Eval('building')},
        help="Limit the rule to a unit of the building.")
    kind = fields.Selection(
        [(None, "")] + KINDS, "Resource Kind", sort=False,
        help="Limit the rule to one kind of resource.")
    resource = fields.Many2One(
        'property.resource', "Resource", ondelete='CASCADE',
        domain=[('project', '=', Eval('project', -1))],
        help="Limit the rule to a single resource.")
    start_date = fields.Date("Effective From")
    end_date = fields.Date(
        "Effective To",
        domain=[If(Bool(Eval('start_date')) & Bool(Eval('end_date')),
                ('end_date', '>=', Eval('start_date')), ())])
    scope = fields.Function(fields.Char("Applies To"), 'get_scope')

    def get_scope(self, name):
        for field in ['resource', 'unit', 'building']:
            record = getattr(self, field)
            if record:
                return record.rec_name
        text = self.project.rec_name if self.project else ''
        if self.kind:
            text += ' / ' + dict(self._fields['kind'].selection)[self.kind]
        return text

    def scope_values(self):
        "The rule as the mapping the pure money functions work on"
        values = {f: getattr(self, f) for f in SCOPE_FIELDS}
        for f in ['resource', 'unit', 'building', 'project']:
            values[f] = values[f].id if values[f] else None
        values.update(start=self.start_date, end=self.end_date, rule=self.id)
        return values

    @classmethod
    def check_scope(cls, records):
        for record in records:
            if record.building and record.building.project != record.project:
                raise ScopeValidationError(gettext(
                        'aishang_billing.msg_scope_building',
                        rule=record.rec_name))
            if record.unit and record.unit.building != record.building:
                raise ScopeValidationError(gettext(
                        'aishang_billing.msg_scope_unit',
                        rule=record.rec_name))
            if record.resource and record.resource.project != record.project:
                raise ScopeValidationError(gettext(
                        'aishang_billing.msg_scope_resource',
                        rule=record.rec_name))
