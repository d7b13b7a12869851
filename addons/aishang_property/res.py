# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
from trytond.cache import Cache
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class User(metaclass=PoolMeta):
    __name__ = 'res.user'
    projects = fields.Many2Many(
        'res.user-property.project', 'user', 'project', "Projects",
        help="The projects the user may see. Members of the group "
        "\"Property All Projects\" see every project of their companies.")
    _get_projects_cache = Cache(__name__ + '.get_projects', context=False)

    @classmethod
    def get_projects(cls):
        "Return a tuple of the ids of the projects the user may see"
        pool = Pool()
        Project = pool.get('property.project')
        ModelData = pool.get('ir.model.data')
        transaction = Transaction()
        user_id = transaction.user
        projects = cls._get_projects_cache.get(user_id)
        if projects is not None:
            return projects
        user = cls(user_id)
        all_group = ModelData.get_id(
            'aishang_property', 'group_property_all_projects')
        project = Project.__table__()
        cursor = transaction.connection.cursor()
        # Projects are seen only in the user's current companies, so the
        # project rule also implies the company rule on every scoped model.
        where = project.company.in_(list(cls.get_companies()) or [-1])
        if all_group not in {g.id for g in user.groups}:
            where &= project.id.in_([p.id for p in user.projects] or [-1])
        cursor.execute(*project.select(project.id, where=where))
        projects = tuple(sorted(r for r, in cursor))
        return cls._get_projects_cache.set(user_id, projects)

    @classmethod
    def on_modification(cls, mode, users, field_names=None):
        super().on_modification(mode, users, field_names=field_names)
        if mode == 'write':
            cls._get_projects_cache.clear()


class UserGroup(metaclass=PoolMeta):
    __name__ = 'res.user-res.group'

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        User = Pool().get('res.user')
        super().on_modification(mode, records, field_names=field_names)
        User._get_projects_cache.clear()
