from tortoise import migrations
from tortoise.migrations import operations as ops
from models.sms_breaker import BreakerState
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('twofold', '0020_user_locale')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SmsBreaker',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('provider', fields.CharField(max_length=16)),
                ('country', fields.CharField(max_length=8)),
                ('state', fields.CharEnumField(default=BreakerState.CLOSED, description='CLOSED: closed\nOPEN: open\nHALF_OPEN: half_open', enum_type=BreakerState, max_length=16)),
                ('failures', fields.IntField(default=0)),
                ('window_started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('opened_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sms_breaker', 'app': 'twofold', 'unique_together': (('provider', 'country'),), 'pk_attr': 'id', 'table_description': 'A provider for one region: closed (texts go through), open (texts skip it until the'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='SmsDelivery',
            name='provider',
            field=fields.CharField(null=True, max_length=16),
        ),
    ]
