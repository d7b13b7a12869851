# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"""What the import wizards share: importer base, report, start and result.

An importer reads a file with tabular, checks every row and writes only
when no row is wrong. A wizard mixes ImportWizardMixin in and declares its
states start (template and file), import_ and result (counts and report).
"""
import logging
import time

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction, check_access

from . import tabular
from .exceptions import ImportFileError
from .tabular import Column, Error, SheetSpec, msg

logger = logging.getLogger(__name__)

MAX_REPORTED_ERRORS = 1000
# Values in the IN clause of one search
SEARCH_BATCH = 1000


class Importer:
    """Check the rows of a file, then create records from them

    Nothing is written unless every row is valid. Errors are tabular.Error
    tuples whose message ids default to the module of the importer;
    counts are what save created, by name.
    """
    module = 'aishang_property'
    count_names = ()

    def __init__(self, company_id, default_project=None):
        self.company_id = company_id
        self.default_project = default_project
        self.errors = []
        self.counts = dict.fromkeys(self.count_names, 0)

    def error(self, sheet, row, column, message, /, **params):
        if '.' not in message:
            message = f'{self.module}.{message}'
        self.errors.append(Error(
                sheet.name if isinstance(sheet, SheetSpec) else sheet,
                row['_row'] if isinstance(row, dict) else row,
                column.header if isinstance(column, Column) else column,
                message, params))

    @staticmethod
    def column(spec, name):
        return next(c for c in spec.columns if c.name == name)

    def read_sheets(self, data, filename, default_sheet):
        "Return the sheets of the file, or None with an error"
        try:
            return tabular.read_file(
                data, filename, default_sheet=default_sheet)
        except tabular.TabularError as error:
            self.errors.append(Error(
                    None, None, None, error.message, error.params))

    def check_projects(self, groups):
        """Replace the project codes of rows by the projects

        groups is a list of (sheet, rows, column). Only the projects of the
        company that the user may see through the record rules are found;
        an empty code is the default project.
        """
        Project = Pool().get('property.project')
        codes = {r[c.name] for _, rows, c in groups for r in rows
            if r[c.name]}
        projects = {}
        with check_access():
            for sub in grouped_slice(sorted(codes), SEARCH_BATCH):
                for project in Project.search([
                            ('company', '=', self.company_id),
                            ('code', 'in', list(sub)),
                            ]):
                    projects[project.code] = project
            if self.default_project and not Project.search([
                        ('company', '=', self.company_id),
                        ('id', '=', self.default_project.id),
                        ]):
                self.errors.append(Error(None, None, None,
                        msg('msg_import_project_unknown'),
                        {'code': self.default_project.code}))
                self.default_project = None
        for sheet, rows, column in groups:
            for row in rows:
                code = row[column.name]
                if not code:
                    if self.default_project:
                        row[column.name] = self.default_project
                    else:
                        row[column.name] = None
                        self.error(sheet, row, column,
                            msg('msg_import_project_required'))
                elif code in projects:
                    row[column.name] = projects[code]
                else:
                    row[column.name] = None
                    self.error(sheet, row, column,
                        msg('msg_import_project_unknown'), code=code)

    def run(self, data, filename):
        "Read, check and, when nothing is wrong, save; return the counts"
        start = time.monotonic()
        if self.read(data, filename) and self.check():
            self.save()
            logger.info("%s imported %s in %.1fs", type(self).__name__,
                self.counts, time.monotonic() - start)
        return self.counts

    def read(self, data, filename):
        "Read the file into rows; return False if it cannot be read"
        raise NotImplementedError

    def check(self):
        "Check the rows against each other and the database"
        raise NotImplementedError

    def save(self):
        "Create the records; check must have passed"
        raise NotImplementedError


def format_errors(errors, limit=MAX_REPORTED_ERRORS):
    "Return the translated lines of the report of errors"
    lines = []
    for error in errors[:limit]:
        message = gettext(error.message, **error.params)
        if error.sheet and error.row and error.column:
            line = gettext('aishang_property.msg_import_error_cell',
                sheet=error.sheet, row=error.row, column=error.column,
                message=message)
        elif error.sheet and error.row:
            line = gettext('aishang_property.msg_import_error_row',
                sheet=error.sheet, row=error.row, message=message)
        elif error.sheet:
            line = gettext('aishang_property.msg_import_error_sheet',
                sheet=error.sheet, message=message)
        else:
            line = message
        lines.append(line)
    if len(errors) > limit:
        lines.append(gettext('aishang_property.msg_import_error_more',
                count=len(errors) - limit))
    return lines


def format_report(errors):
    "Return the translated report: the outcome, then a line per error"
    if errors:
        lines = [gettext('aishang_property.msg_import_failed',
                count=len(errors))]
        lines.extend(format_errors(errors))
    else:
        lines = [gettext('aishang_property.msg_import_succeeded')]
    return '\n'.join(lines)


class ImportStartMixin:
    "The fields of the start view of an import: template, file, project"
    __slots__ = ()
    project = fields.Many2One(
        'property.project', "Default Project",
        domain=[('company', '=', Eval('context', {}).get('company', -1))],
        help="The project of the rows whose project code is empty.")
    template = fields.Binary(
        "Template", readonly=True, filename='template_filename',
        help="An .xlsx file with the columns, their description and "
        "example rows.")
    template_filename = fields.Char("Template Name", readonly=True)
    file = fields.Binary(
        "File", required=True, filename='filename',
        help="The .xlsx, .xls or .csv file to import.")
    filename = fields.Char("File Name")


class ImportResultMixin:
    "The fields of the result view of an import; add a field per count"
    __slots__ = ()
    error_count = fields.Integer("Errors", readonly=True)
    report = fields.Text("Report", readonly=True)


class ImportWizardMixin:
    """The steps of an import wizard

    The wizard declares the states start, import_ and result and
    implements get_importer and get_template.
    """
    __slots__ = ()
    template_filename = None

    def get_importer(self, company_id):
        "Return the Importer of the file for the company"
        raise NotImplementedError

    def get_template(self, project):
        "Return the bytes of the template, with examples from project"
        raise NotImplementedError

    def default_start(self, field_names):
        pool = Pool()
        Project = pool.get('property.project')
        company = Transaction().context.get('company')
        with check_access():
            projects = Project.search(
                [('company', '=', company)], limit=2) if company else []
        project = projects[0] if len(projects) == 1 else None
        template = self.get_template(projects[0] if projects else None)
        return {
            'project': project.id if project else None,
            'template': fields.Binary.cast(template),
            'template_filename': self.template_filename,
            }

    def transition_import_(self):
        company = Transaction().context.get('company')
        if not company:
            raise ImportFileError(gettext(
                    'aishang_property.msg_import_no_company'))
        if not self.start.file:
            raise ImportFileError(gettext(
                    'aishang_property.msg_import_no_file'))
        importer = self.get_importer(company)
        importer.run(bytes(self.start.file), self.start.filename or '')
        # No need to keep the files in the session
        self.start.file = None
        self.start.template = None
        self.result.error_count = len(importer.errors)
        for name, count in importer.counts.items():
            setattr(self.result, name, 0 if importer.errors else count)
        self.result.report = format_report(importer.errors)
        return 'result'

    def default_result(self, field_names):
        return {name: getattr(self.result, name, None)
            for name in field_names}
