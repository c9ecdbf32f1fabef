from tortoise import migrations
from tortoise.migrations import operations as ops
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('twofold', '0010_email_outbox')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SmsDelivery',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('flow_id', fields.UUIDField(db_index=True)),
                ('country', fields.CharField(max_length=8)),
                ('status', fields.CharField(default='sent', max_length=32)),
                ('status_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sms_delivery', 'app': 'twofold', 'pk_attr': 'id', 'table_description': "One text a flow sent. Its id is the `reference` the text carries (an opaque id, never"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReportToken',
            fields=[
                ('jti', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=128)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'sms_report_token', 'app': 'twofold', 'pk_attr': 'jti', 'table_description': 'The `jti` of a signed delivery report already accepted, kept until the token expires.'},
            bases=['Model'],
        ),
    ]
