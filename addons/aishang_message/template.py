# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from sql.conditionals import Coalesce
from sql.operators import Equal

from trytond.i18n import gettext
from trytond.model import Exclude, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from . import rendering
from .exceptions import TemplateRenderError, TemplateValidationError


class Template(ModelSQL, ModelView):
    "The text of a kind of message, with ${name} placeholders"
    __name__ = 'message.template'

    company = fields.Many2One(
        'company.company', "Company",
        help="Empty for a template every company uses unless it has its "
        "own with the same code.")
    code = fields.Char(
        "Code", required=True,
        help="The key the module that sends these messages looks the "
        "template up by.")
    name = fields.Char("Name", required=True)
    variables = fields.Char(
        "Variables",
        help="The placeholders the template may use, separated by commas; "
        "the module that sends these messages documents them.")
    subject = fields.Char("Subject", translate=False)
    body = fields.Text("Body", translate=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints = [
            # Coalesce so that templates without company are unique too
            ('code_company_exclude',
                Exclude(t, (t.code, Equal), (Coalesce(t.company, -1), Equal)),
                'aishang_message.msg_template_code_unique'),
            ]
        cls._order.insert(0, ('code', 'ASC'))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    def get_rec_name(self, name):
        return f'[{self.code}] {self.name}'

    @classmethod
    def search_rec_name(cls, name, clause):
        _, operator, operand, *extra = clause
        if operator.startswith('!') or operator.startswith('not '):
            bool_op = 'AND'
        else:
            bool_op = 'OR'
        return [bool_op,
            ('code', operator, operand, *extra),
            ('name', operator, operand, *extra),
            ]

    @classmethod
    def validate_fields(cls, templates, field_names):
        super().validate_fields(templates, field_names)
        if field_names and not (
                field_names & {'variables', 'subject', 'body'}):
            return
        for template in templates:
            template.check_placeholders()

    def check_placeholders(self):
        "Refuse placeholders that are malformed or not declared"
        try:
            variables = rendering.parse_variables(self.variables)
        except rendering.InvalidVariable as exception:
            raise TemplateValidationError(gettext(
                    'aishang_message.msg_template_variable_invalid',
                    template=self.rec_name,
                    variable=exception.name)) from exception
        for text in [self.subject, self.body]:
            try:
                rendering.check(text, variables)
            except rendering.InvalidPlaceholder as exception:
                raise TemplateValidationError(gettext(
                        'aishang_message.msg_template_placeholder_invalid',
                        template=self.rec_name,
                        line=exception.line,
                        column=exception.column)) from exception
            except rendering.UnknownPlaceholders as exception:
                raise TemplateValidationError(gettext(
                        'aishang_message.msg_template_placeholder_unknown',
                        template=self.rec_name,
                        placeholders=', '.join(exception.names),
                        variables=', '.join(variables) or '-',
                        )) from exception

    def render(self, values):
        "Return (subject, body) with the placeholders replaced by values"
        try:
            return (rendering.render(self.subject, values),
                rendering.render(self.body, values))
        except rendering.MissingValues as exception:
            raise TemplateRenderError(gettext(
                    'aishang_message.msg_template_value_missing',
                    template=self.rec_name,
                    variables=', '.join(exception.names))) from exception

    @classmethod
    def get_template(cls, code, company=None):
        """The template of code for company (the context's by default).

        A company's own template wins over the one without company.
        """
        Company = Pool().get('company.company')
        if company is None:
            company = Transaction().context.get('company')
        company_id = int(company) if company is not None else None
        templates = cls.search([
                ('code', '=', code),
                ('company', 'in', [company_id, None]),
                ])
        templates.sort(key=lambda t: t.company is None)
        if templates:
            return templates[0]
        if company_id is not None:
            company = Company(company_id).rec_name
        raise TemplateRenderError(gettext(
                'aishang_message.msg_template_not_found',
                code=code, company=company or '-'))
