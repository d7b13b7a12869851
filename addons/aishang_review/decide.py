# This file is part of Aishang Property. See the LICENSE file at the top level
# of this repository for full copyright notices and license terms.
"The wizard behind the Approve and Reject buttons of a review request"
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .request import DECISIONS


class DecideStart(ModelView):
    "Decide Review Request"
    __name__ = 'review.request.decide.start'
    decision = fields.Selection(
        DECISIONS, "Decision", required=True, readonly=True)
    comment = fields.Text(
        "Comment",
        states={
            'required': Eval('decision') == 'reject',
            },
        help="Required to reject: tell the requester why.")


class Decide(Wizard):
    "Decide Review Request"
    __name__ = 'review.request.decide'
    start = StateView(
        'review.request.decide.start',
        'aishang_review.request_decide_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Confirm", 'decide', 'tryton-ok', default=True),
            ])
    decide = StateTransition()

    @staticmethod
    def _decision():
        """The decision of the button that opened the wizard.

        The Approve and Reject buttons open this wizard through two
        actions and the client sends the id of the one it runs with every
        step. The decision field is shown only: what the client sends back
        for it is not trusted (Sao may send another choice of a read-only
        selection).
        """
        ModelData = Pool().get('ir.model.data')
        reject = ModelData.get_id('aishang_review', 'wizard_decide_reject')
        action_id = Transaction().context.get('action_id')
        return 'reject' if action_id == reject else 'approve'

    def default_start(self, fields):
        return {'decision': self._decision()}

    def transition_decide(self):
        Request = Pool().get('review.request')
        if self._decision() == 'reject':
            Request.reject(self.records, self.start.comment)
        else:
            Request.approve(self.records, self.start.comment)
        return 'end'

    def end(self):
        return 'reload'
